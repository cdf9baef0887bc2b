"""Customer chat (001 Chat): conversations per channel, messages, inbound Meta webhooks."""
