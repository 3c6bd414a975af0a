package io.rpctrace.record;

/** The record keys of docs/record.md#fields, in the order they are written. */
public final class Fields {
    public static final String NAME = "x_name";
    public static final String TRACE_ID = "x_trace_id";
    public static final String RPC_ID = "x_rpc_id";
    public static final String DEPARTMENT = "x_department";
    public static final String VERSION = "x_version";
    public static final String TIMESTAMP = "x_timestamp";
    public static final String TIMESTAMP_MS = "x_timestamp_ms";
    public static final String DURATION = "x_duration";
    public static final String MODULE = "x_module";
    public static final String SOURCE = "x_source";
    public static final String UID = "x_uid";
    public static final String PID = "x_pid";
    public static final String SERVER_IP = "x_server_ip";
    public static final String CLIENT_IP = "x_client_ip";
    public static final String USER_AGENT = "x_user_agent";
    public static final String HOST = "x_host";
    public static final String INSTANCE_NAME = "x_instance_name";
    public static final String DB = "x_db";
    public static final String CODE = "x_code";
    public static final String MSG = "x_msg";
    public static final String BACKTRACE = "x_backtrace";
    public static final String ACTION = "x_action";
    public static final String PARAM = "x_param";
    public static final String FILE = "x_file";
    public static final String LINE = "x_line";
    public static final String RESPONSE = "x_response";
    public static final String RESPONSE_LEN = "x_response_len";
    public static final String DNS_DURATION = "x_dns_duration";
    public static final String EXTRA = "x_extra";

    /** All keys in record order. */
    public static final String[] ORDER = {
        NAME, TRACE_ID, RPC_ID, DEPARTMENT, VERSION, TIMESTAMP, TIMESTAMP_MS, DURATION, MODULE, SOURCE,
        UID, PID, SERVER_IP, CLIENT_IP, USER_AGENT, HOST, INSTANCE_NAME, DB, CODE, MSG, BACKTRACE, ACTION,
        PARAM, FILE, LINE, RESPONSE, RESPONSE_LEN, DNS_DURATION, EXTRA,
    };

    private Fields() {
    }
}
