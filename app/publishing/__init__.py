"""Publishing: deliver approved variants by signed webhook (Standard Webhooks) or to a local outbox."""
