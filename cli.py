"""``python cli.py ...`` from a checkout: the command line itself is ``pipeline/cli.py`` (installed
as the ``vanban`` command), so that nothing named ``cli`` lands in site-packages."""

from pipeline.cli import main

if __name__ == "__main__":
    main()
