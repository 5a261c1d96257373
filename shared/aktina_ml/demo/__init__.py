"""Demo and test data: the Laravel schema and a realistic synthetic dataset."""
