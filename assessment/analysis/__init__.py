"""Analysis: how certain each score is, and what the whole file says beyond the scores.

Takes the per-respondent means that :mod:`assessment.core.scoring` computes and adds
trust figures (``stats``: intervals, r_wg, α, ICC), department breakdowns with the
anonymity rule (``departments``), sources of tension (``tension``), the NPS (``nps``),
ranks in the cohort (``benchmark``) and change between waves (``waves``);
``whole_file`` joins them into one table and into each organisation's context.
"""
