import Appliance

await Ashlink.runCommandLine()
