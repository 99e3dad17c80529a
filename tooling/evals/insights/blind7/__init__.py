"""The seventh blind insights set: designed weeks of 2024-W18..W29 and questions about them."""
