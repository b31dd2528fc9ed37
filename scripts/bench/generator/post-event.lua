-- wrk script: every request POSTs one event, as the generator does with batch-size 1.
-- The body has the canonical encoding's length (EventCodec output for a typical event).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"deviceId":17,"metricId":3,"timestamp":1764000000000,"value":21.5625}'
