"""`python -m bench`: how fast and how heavy a HọcSố lesson step page is.

Serves the real app and a bare Flask app with gunicorn, loads both with the same
client threads, and weighs the step page with its CSS and JavaScript.
"""
