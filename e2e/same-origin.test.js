// ublog serves the web client and the API from one origin.
import { deploymentSuite } from "./lib/suite.js";

deploymentSuite("same-origin");
