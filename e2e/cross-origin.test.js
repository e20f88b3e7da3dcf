// The web client comes from another origin (another port) and calls the API
// there with CORS; 127.0.0.1 on two ports is still one site for cookies.
import { deploymentSuite } from "./lib/suite.js";

deploymentSuite("cross-origin");
