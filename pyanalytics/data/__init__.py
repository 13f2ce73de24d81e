"""Data the models read, whatever the task: sequence windows of consecutive rows."""
