"""The sixth blind insights set: designed weeks of 2025-W01..W12 and questions about them."""
