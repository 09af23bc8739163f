"""Reading the list: `resources.yml` (`resources.py` validates it, naming the line at fault; `yaml_input.py`
reads YAML keeping each value's line) and every setting with its default and range (`settings.py`).

May import: the top-level modules of `linkkeeper` only; nothing here touches the database or the network.
"""
