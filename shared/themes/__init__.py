"""New themes: what listeners talk about that no tag of the taxonomy names, grouped and named.

- `grouping`: pure text work, offline and deterministic: normalisation, near-duplicate units,
  TF-IDF clustering with a cosine threshold, names from each group's distinctive words.
- `store`: the tables (migration 0015): themes per period, their members, analyst tags.
- `service`: a period's run (read the uncovered comments, group, store), the list the API and the
  dashboard read, promotion to a tag and dismissal.
- `tagging`: the analyst tags applied by the tagger beside the taxonomy's.
"""
