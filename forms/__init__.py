"""WTForms classes, one module per area (accounts, learners, cards, sessions,
certificates). Every label and message goes through the translation layer."""
