"""Hostile input trees (issue 20): each test builds the case and asserts the safe outcome.

test_outdir    links planted at OUTDIR/manifest.jsonl (to a file, dangling, hard-linked),
               at a record's name, OUTDIR reached through a link in the input folder, OUTDIR
               inside the input folder, an input folder named manifest.jsonl.
test_inputs    files or folders swapped after the walk (link, FIFO, other file), the record
               read from the checked descriptor, a 6 GiB sparse file, digests of timed-out
               documents from the worker, an input named "-m.doc", unencodable records.
test_readers   linear time on hostile HTML (unclosed tags, scripts, comments, <?xml), sniffing,
               nested DOCX text boxes, long RTF paragraphs, long tables in the layout;
               RTF surrogate pairs and \\binN, charset=punycode, PDF magic inside a DOCX.
test_names_and_resume
               colliding output names, escaped names in the summary, --resume checking the
               record on disk, overlong manifest lines, names that look like temporary files.
"""
