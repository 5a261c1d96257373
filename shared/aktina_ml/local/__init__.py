"""Run the API on this machine: HTTP → API Gateway proxy events → the real Lambda handlers.

``aktina-ml serve`` serves a model store; ``aktina-ml demo`` first generates demo data and
trains every model. The preview page at ``/`` draws the admin charts from the API's answers.
"""
