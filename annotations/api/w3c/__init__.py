"""The W3C Web Annotation Data Model and Protocol over the claims of an article."""
