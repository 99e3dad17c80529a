"""The eighth blind insights set: designed weeks of 2023-W36..W47 and questions about them."""
