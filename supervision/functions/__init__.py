"""The supervision functions beside the legality check (Art. 20, 21, 26): analyses of the state of
legality and assessments of acts in force (studies.py), requests for information (requests.py) and
summons with their notices and forced delivery (summons.py). Reads in selectors.py, pages in
views.py, the API in api.py; the records are at the end of supervision/models.py."""
