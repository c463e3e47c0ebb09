"""What the mediators' work adds up to: the dashboard panel and the activity report."""
