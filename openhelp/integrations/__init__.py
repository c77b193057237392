"""Integrations: where people already work — chat (Slack, Matrix), automation (webhooks), company login."""
