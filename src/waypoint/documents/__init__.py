"""Documents and spreadsheets made from a plan: the strategic plan and progress reports (DOCX,
PDF), the plan workbook (XLSX out and in), the logframe workbook. Sits above every app whose
data it shows; pure layout helpers take plain values."""
