"""Participation's decisions, pure: no MongoDB, Kafka or web framework."""
