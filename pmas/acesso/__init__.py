"""Access: who may write, and the write services that check it."""
