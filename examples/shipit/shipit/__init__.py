"""shipit: deploy services from the command line."""

__version__ = "0.3.0"
