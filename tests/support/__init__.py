"""What the tests share that is not a fixture: where their files are, and how to talk to the skill."""
