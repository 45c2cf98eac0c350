"""nianbao: government information disclosure annual reports -> a static site."""

__version__ = "0.1.0"
