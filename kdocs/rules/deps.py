"""Rule family placeholder: rules arrive with their issue."""
