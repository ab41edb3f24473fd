"""Celery workers: the app factory and thin tasks that carry ids."""
