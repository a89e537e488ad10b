"""What the service does with a case event, a due delivery and the daily digest."""
