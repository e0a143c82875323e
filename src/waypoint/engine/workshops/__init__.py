"""The arithmetic of a strategy workshop, without Django: dot-vote tallies (``tally``),
weighted scoring with its ranking and impact/effort matrix (``scoring``), and pairwise
comparison ranked by the Analytic Hierarchy Process with Saaty's consistency ratio
(``pairwise``). The workshops app hands plain values in and stores or shows what comes out."""
