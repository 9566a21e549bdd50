"""The domain layer: what HọcSố does, called by views/ and cli.py alike.

Each module is one idea (access, a learner's standing, cards, helper sessions,
personal data, quiz attempts, imports). Modules here use models/ and content/, never
views/ or forms/; they change state and leave the commit to the caller.
"""
