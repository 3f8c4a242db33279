"""Page builders: each `pages(r)` adds one family of pages. A new family adds its module here and its
output folder to config.GENERATED_DIRS. No builder reads another's output.
"""
from . import aliases, api, checklists, decision_tree, errors, guides, integrations, reference, review, schema_page

BUILDERS = [
    errors.pages,          # errors/<code>: the runbooks; errors/, categories/, flows/, reference/
    reference.pages,       # errors/<code>: reference entries (no runbook yet); codes/: every code
    guides.pages,          # guides/<family>: how each API family reports errors
    aliases.pages,         # errors/<alias>/: redirects for aliases and former codes
    api.pages,             # api/catalog.json
    checklists.pages,      # checklists/: printable sheets
    review.pages,          # review/: review due dates
    integrations.pages,    # integrations/: one runbook per inventory, and the list
    decision_tree.pages,   # decision-tree/: from the error you see to the case
    schema_page.pages,     # reference/catalog-schema.md: every field of every catalog file
]
