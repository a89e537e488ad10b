"""One adapter per delivery channel, all behind `ChannelAdapter` (see `channel.py`)."""
