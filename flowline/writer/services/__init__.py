"""The writer's services: tasks, content (and its generation), images, taxonomies."""
