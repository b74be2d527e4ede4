"""The review service (``vanban serve``, the ``serve`` extra): a REST API over the batch runner
and the catalog, and the page where an archivist checks every value against its page.

Never imported by a plain extract or its batch workers."""
