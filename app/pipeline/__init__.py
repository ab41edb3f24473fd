"""Brief → ideas → variants → review → compliance → publish."""
