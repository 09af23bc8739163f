"""Reading the list: `resources.yml` (`resources.py` validates it, naming the line at fault; `yaml_input.py`
reads YAML keeping each value's line), every setting with its default and range (`settings.py`), and the
notification targets, from the list, the environment or a file (`targets.py`: Apprise reads each URL).

May import: the top-level modules of `linkkeeper` only; nothing here touches the database or the network.
"""
