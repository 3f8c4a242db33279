"""Salesforce Integration Runbooks generator: catalog/ -> docs/ Markdown, plus lookup tools."""
from .tools.resolver import Resolution, Resolver, resolve

__all__ = ["Resolution", "Resolver", "resolve"]
