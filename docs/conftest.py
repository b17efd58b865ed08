# Every page below this folder is verified by the cookbook's pytest plugin (cookbook/plugin.py).
from cookbook.plugin import collect_pages_below

pytest_collect_file = collect_pages_below(__file__)
