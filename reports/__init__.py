"""What the records say: dashboards, difficult questions, certificates and exports."""
