"""The report's quantitative claims: the registry (data/claims.yaml), its computations, the judge and the text.

registry      the schema of data/claims.yaml and the checks on load (tables, columns, quotes, dry-run queries)
computations  claims whose test is a Python function rather than SQL
judge         evidence grades and statuses for the report's period and the follow-up
render        the Swedish sentence per evaluation, badges beside quotes, the summary tables
quantifiers   what the report's words ("nästan dubbelt") allow, shared with the book's own prose
api           one interface for the book and the CLI (import it as `from tillit.claims import api as claims`)

Importing the package loads nothing else, so pages that only use the quantifier words do not depend on the judge.
"""
