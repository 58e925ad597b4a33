"""The yearly document register (sổ đăng ký văn bản): numbers for the council's documents.

``series`` names the kinds of document and their symbols; ``service`` gives numbers, once
per document, restarting at 01 each year (Nghị định 30/2020/NĐ-CP, Điều 15). The minutes
take their number here; the resolutions and questioning conclusions of later issues will
too, by naming their series and their subject.
"""
