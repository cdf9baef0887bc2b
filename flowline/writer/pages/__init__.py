"""The console's writer pages: tasks, generation, content, publishing."""
