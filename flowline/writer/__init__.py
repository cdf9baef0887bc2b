"""Writer (003): tasks, content, images, taxonomies."""
