"""The site build: one MkDocs plugin (:class:`cookbook.site.plugin.CookbookPlugin`, listed as ``cookbook``
under ``plugins:`` in ``mkdocs.yml``) that adds to the pages everything that is computed from them.

===========================  ========================================================================
module                       what it renders
===========================  ========================================================================
``plugin``                   the MkDocs events, and the build's state (:class:`~.plugin.SiteBuild`)
``navigation``               the navigation's pages in order, with their titles, computed once
``markers``                  the one marker grammar, ``<!-- cookbook:NAME ARGS -->``, and its dispatch
``header``                   the header of a recipe page (template ``templates/page_header.md.j2``)
``version_matrix``           the "Runs on" row, each recipe's version mark, and the matrix page
``api_pages``                the API index and each recipe's "APIs used" line
``recipe_index``             the home page's table of pages
``migration_index``          the migration page's list of "Changed in Keras 3" callouts
``copy_recipe``              "Copy with setup" on each recipe's code
``files``                    notebooks, data files and pictures added to the site
``html_fixes``               the search dialog's name, the language sitemaps and the 404 page's links
``search``                   each page's search in the cookbook's worker (``docs/javascripts/search-worker.js``)
===========================  ========================================================================
"""
