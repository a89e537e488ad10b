"""Pure reporting logic: reducers from events to view updates, and readers of the views."""
