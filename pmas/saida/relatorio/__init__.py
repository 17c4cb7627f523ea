"""The annual report's parts: its fields, its Word template and its PDF (the document itself is built by
pmas.saida.report)."""
