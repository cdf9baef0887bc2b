"""The console's commerce pages: products, their images, stock and categories."""
