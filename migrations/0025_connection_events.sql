-- A connected account that stops working is an event a person reads later (the dashboard's
-- "needs attention" and GET /events?type=connection_failing), recorded once when it turns failing.
ALTER TABLE events DROP CONSTRAINT events_type_check;
ALTER TABLE events ADD CONSTRAINT events_type_check CHECK (type IN ('link_lost', 'connection_failing'));
