"""Regional training needs, EFS+ indicators and exports."""
