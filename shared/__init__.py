"""Contracts and plumbing shared by every Siang service: events, topics, settings,
Kafka and MongoDB factories, observability."""
