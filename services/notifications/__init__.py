"""The notifications service: Tells complainants, staff and supervisors what changed: e-mail, LINE, SMS, webhooks."""
