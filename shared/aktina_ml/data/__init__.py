"""Data access: the Laravel app's MySQL database, or CSV files with the same content."""
